print("promptsite")
